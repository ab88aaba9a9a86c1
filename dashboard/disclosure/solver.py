"""A silent HiGHS instance (the library prints a banner on stdout when it is created)."""

from __future__ import annotations

import os
import sys
import threading

import highspy
import numpy as np
from scipy import sparse

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


def run(h: highspy.Highs) -> highspy.HighsModelStatus:
    """Solve; when HiGHS gives up or its presolve calls infeasible a model that the truth
    satisfies (rows pinned to within round-off), solve again from scratch with the dual
    simplex and no presolve, which decides."""
    h.run()
    status = h.getModelStatus()
    ok = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded)
    if status in ok:
        return status
    saved = {name: _option(h, name) for name in ("presolve", "simplex_strategy")}
    h.setOptionValue("presolve", "off")
    h.setOptionValue("simplex_strategy", 1)
    h.clearSolver()
    h.run()
    status = h.getModelStatus()
    for name, value in saved.items():
        h.setOptionValue(name, value)
    return status


def _option(h: highspy.Highs, name: str):
    value = h.getOptionValue(name)
    return value[-1] if isinstance(value, tuple) else value  # (status, value) in some versions


class Residuals:
    """Checks a solution against ``lower ≤ mat @ x ≤ upper`` and ``x ≥ 0`` with a relative
    slack of 1e-6 (the solver's tolerance applies to its scaled model): a point further off
    certifies nothing. Some attacker models are thin (published rates pin combinations of
    counts) and there a point outside the model can sit far from any feasible one."""

    def __init__(self, mat: sparse.spmatrix, lower: np.ndarray, upper: np.ndarray) -> None:
        self.mat = sparse.csr_matrix(mat)
        self.lower = np.asarray(lower, dtype=float)
        self.upper = np.asarray(upper, dtype=float)

    def release(self, row: int) -> None:
        """Forget a row (its cell was suppressed)."""
        self.lower[row] = -np.inf
        self.upper[row] = np.inf

    def ok(self, x: np.ndarray, slack: float = 1e-6) -> bool:
        r = self.mat @ x
        with np.errstate(invalid="ignore"):
            below = np.where(np.isfinite(self.lower), self.lower - r, 0.0)
            above = np.where(np.isfinite(self.upper), r - self.upper, 0.0)
        scale = 1.0 + np.abs(r)
        return bool((below <= slack * scale).all() and (above <= slack * scale).all()
                    and (x >= -slack).all())


def polish(h: highspy.Highs, check: Residuals) -> np.ndarray | None:
    """The solution of the last run if it passes ``check``; else solved again from scratch
    with tolerances of 1e-10 (thin models), and returned only if it passes then."""
    x = np.asarray(h.getSolution().col_value)
    if check.ok(x):
        return x
    saved = {name: _option(h, name) for name in
             ("primal_feasibility_tolerance", "dual_feasibility_tolerance", "presolve")}
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    h.setOptionValue("presolve", "off")
    h.clearSolver()
    h.run()
    good = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    x = np.asarray(h.getSolution().col_value)
    for name, value in saved.items():
        h.setOptionValue(name, value)
    return x if good and check.ok(x) else None
