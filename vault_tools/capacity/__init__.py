"""The capacity engine, pure: a topic's numbers → traffic, storage,
bandwidth, cache, instances, SLA, growth and monthly cost, with every step
of the working (`build_report`), and the whiteboard Markdown of each of its
live blocks (`whiteboard.render`). Imports nothing from the pipeline."""

from vault_tools.capacity.prices import PriceTable
from vault_tools.capacity.engine import CapacityReport, build_report

__all__ = ["CapacityReport", "PriceTable", "build_report"]
