from tests.analysis.conftest import strategy_labels  # noqa: F401 (the strategy's categories)
