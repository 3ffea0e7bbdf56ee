"""``ArticleStore``: articles whose texts wait on disk until a stage reads them."""

from __future__ import annotations

import os
import tempfile
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Sequence

from ._article import Article

__all__ = ["RECENT_ARTICLES", "ArticleStore"]

_Metadata = tuple[str, "str | None", "str | None", "str | None", "str | None", str]


RECENT_ARTICLES = 4  # articles an ArticleStore keeps after reading them (see __init__)


class ArticleStore(Sequence[Article]):
    """Articles as loaded, their texts kept in a temporary file instead of in memory.

    A million articles' texts are over a gigabyte as Python strings, and each stage reads
    an article's text only a few times. ``store[i]`` reads it back (one ``pread``, safe in
    forked workers, which share the file but not a file position) and returns the same
    ``Article`` as loaded. The file is unlinked when made: it goes when the store is
    closed or the process ends.
    """

    def __init__(self, directory: str | None = None) -> None:
        # Open as long as the store is: closed by close() or with the process. Unbuffered:
        # a write buffer would be copied into forked workers and written by each.
        self._file = tempfile.TemporaryFile(buffering=0, dir=directory)  # noqa: SIM115
        self._ends = array("q")  # byte offset where each text ends
        self._meta: list[_Metadata] = []  # every field of an Article but its text
        self._lengths = array("q")  # text length in characters
        self._shared: dict[str, str] = {}  # one string per outlet or date, not one each
        # The last few articles read: a report reads a member's text once per span it
        # shows, which for a long article read anew each time grows with its square.
        self._recent: OrderedDict[int, Article] = OrderedDict()

    def append(self, article: Article) -> None:
        # surrogatepass: a JSON string may hold a lone surrogate ("\ud800"); it must come
        # back as it was.
        data = article.text.encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:  # a write may take less than it was given
            view = view[os.write(self._file.fileno(), view) :]
        self._ends.append((self._ends[-1] if self._ends else 0) + len(data))
        self._lengths.append(len(article.text))
        outlet, date = (None if v is None else self._shared.setdefault(v, v)
                        for v in (article.outlet, article.date))
        self._meta.append((article.id, article.title, outlet, date, article.url,
                           article.origin))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def text_length(self, index: int) -> int:
        return self._lengths[index]

    def described(self, index: int) -> tuple[str, str | None, str | None, str | None, int]:
        """(id, outlet, title, date, text length) of an article, without reading its text:
        what a report lists of every article."""
        article_id, title, outlet, date, _, _ = self._meta[index]
        return article_id, outlet, title, date, self._lengths[index]

    def __len__(self) -> int:
        return len(self._meta)

    def __getitem__(self, index: int) -> Article:  # type: ignore[override]
        if not isinstance(index, int):
            raise TypeError("ArticleStore takes one index at a time")
        article_id, title, outlet, date, url, origin = self._meta[index]
        if index < 0:
            index += len(self._meta)
        recent = self._recent.get(index)
        if recent is not None:
            self._recent.move_to_end(index)
            return recent
        start = self._ends[index - 1] if index else 0
        data = os.pread(self._file.fileno(), self._ends[index] - start, start)
        article = Article(article_id, data.decode("utf-8", "surrogatepass"), title, outlet, date,
                          url, origin)
        self._recent[index] = article
        if len(self._recent) > RECENT_ARTICLES:
            self._recent.popitem(last=False)
        return article

    def __iter__(self) -> Iterator[Article]:
        return map(self.__getitem__, range(len(self._meta)))
