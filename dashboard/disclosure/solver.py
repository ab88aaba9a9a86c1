"""A silent HiGHS instance (the library prints a banner on stdout when it is created)."""

from __future__ import annotations

import os
import sys
import threading

import highspy

_lock = threading.Lock()


def quiet_highs(seed: int) -> highspy.Highs:
    """A ``highspy.Highs`` with logging off, created with stdout muted at the file-descriptor
    level (the banner comes from C++ and ignores Python's ``sys.stdout``)."""
    with _lock:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    h.silent()
    h.setOptionValue("random_seed", seed)
    return h
