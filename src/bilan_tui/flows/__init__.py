"""The question flows as data (YAML, French) and the loader that validates them."""

from bilan_tui.flows.expressions import JinjaExpressions
from bilan_tui.flows.loader import FlowCatalog, FlowLoadError, load_catalog, load_flow_file, load_flow_text

__all__ = ["FlowCatalog", "FlowLoadError", "JinjaExpressions", "load_catalog", "load_flow_file", "load_flow_text"]
