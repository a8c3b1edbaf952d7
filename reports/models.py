"""The reports app keeps no data of its own; it reads the other apps and renders documents."""
