"""The warehouse's own error, raised where a file or a query cannot be used as asked."""


class WarehouseError(RuntimeError):
    """The warehouse file cannot be used as asked (missing, outdated, locked, damaged)."""
