"""What a load batch's status (``etl_batch.status``, written by ``etl.load``) says, in Spanish and English: the one
place for these words, read by the dashboard's load history, its exports' context sheets and the CLI."""

from __future__ import annotations

BATCH_STATUS: dict[str, tuple[str, str]] = {
    "loaded": ("cargado", "loaded"),
    "partial": ("cargado en parte", "partly loaded"),
    "superseded": ("reemplazado", "superseded"),
    "undone": ("deshecho (--deshacer)", "undone"),
    "rejected": ("rechazado", "rejected"),
    "failed": ("fallido", "failed"),
}


def batch_status_words(lang: str) -> dict[str, str]:
    """Status → its word in ``lang`` ('es' or 'en')."""
    k = 1 if lang == "en" else 0
    return {status: words[k] for status, words in BATCH_STATUS.items()}
