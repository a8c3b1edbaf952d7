"""What every benchmark script shares: a seeded database, the machine's description, and
timing one call in wall-clock and CPU seconds.

The scripts run as files (`.venv/bin/python bench/documents.py`), so each puts the project
root on sys.path and imports this module as `bench.common`.
"""

import os
import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(*, seed: bool = True) -> str:
    """Django set up on DATABASE_URL, or on a fresh SQLite file when none is set, migrated
    and (with `seed`) holding the seed documents; returns the database's scheme."""
    scratch = Path(tempfile.mkdtemp())
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    # The PDFs a benchmark makes stay out of the checkout's own documents cache.
    os.environ.setdefault("DOCUMENT_CACHE_DIR", str(scratch / "documents"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from plans.models import Plan

    if seed and not Plan.objects.filter(partnership__slug="thanet").exists():
        from reports.seeds import load_all_seeds

        load_all_seeds()
    return os.environ["DATABASE_URL"].split(":", 1)[0]


def machine() -> dict:
    """Cores, CPU model, RAM and Python version, for the report's "Machine" line."""
    cpu = ram = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "ram": ram, "python": platform.python_version()}


def describe_machine() -> str:
    """ "2 cores (AMD EPYC), 23.5 GiB RAM; Python 3.13.0"."""
    m = machine()
    return f"{m['cores']} cores ({m['cpu']}), {m['ram']} RAM; Python {m['python']}"


def measure(step) -> tuple[float, float, object]:
    """Call `step` once: its wall-clock seconds, this process's CPU seconds, and its result.

    CPU time is what the call itself used; on a busy machine the wall time also counts
    waiting for a core.
    """
    started, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - started, time.process_time() - cpu, result
