"""What every benchmark report says about where it ran: the commit (marked +changes when the work
tree differs from it) and the machine."""
import os
import platform
import subprocess


def commit():
    """The short commit the run was built from, with +changes when tracked files differ from it."""
    name = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "unknown"
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip():
        name += "+changes"
    return name


def machine():
    """Cores and CPU model, e.g. '2 cores, AMD EPYC'."""
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores, {cpu}"
