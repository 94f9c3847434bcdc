"""The no-op task of Mrq's benchmark, for Python MRQ's worker (tools/bench-peers/python-mrq/bench.py)."""
from mrq.task import Task


class NoOp(Task):
    """Returns None, like Mrq's `bench.noop`: no result field is written."""

    def run(self, params):
        return None
