"""The meetings pages: reading.py, what members and the public read (bodies, meetings, the
actions-arising tracker, search, the calendar feed) and what every meetings page loads;
recording.py, the coordinator's forms that record meetings."""
