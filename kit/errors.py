"""The one exception type the command line turns into a single line and an exit code.

Every user-facing failure (missing DPDK, wrong version, bad name, ...) is raised as a KitError
carrying what went wrong and how to fix it, so `kit` never shows a traceback for a user error.
"""

from __future__ import annotations


class KitError(Exception):
    """A problem the user can fix: `problem` says what is wrong, `fix` what to do about it."""

    exit_code = 2

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def one_line(self) -> str:
        return f"{self.problem}; fix: {self.fix}" if self.fix else self.problem
