"""Search's own tables: the anonymised query log, click-throughs, related documents
and folded page texts.

The full-text index itself is not a Django model: it is an FTS5 virtual table on
SQLite and a tsvector table on PostgreSQL, created by migration 0002 and written
only through ``wenku.search.backends``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchQuery(models.Model):
    """A normalised query text and how often it was searched; no user, no IP.

    `visitors` counts distinct searchers (SearchQueryVisitor) up to
    settings.SUGGEST_MIN_VISITORS: only then is the query offered as a suggestion.
    """

    text = models.CharField(_("查询"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("次数"), default=0)
    visitors = models.PositiveIntegerField(_("不同访客数"), default=0)
    last_searched_at = models.DateTimeField(_("最近搜索"), auto_now=True)

    class Meta:
        verbose_name = _("搜索词")
        verbose_name_plural = _("搜索词")
        indexes = [models.Index(fields=["-count"], name="search_query_count")]

    def __str__(self) -> str:
        return self.text


class SearchQueryVisitor(models.Model):
    """One distinct searcher of a query, as a keyed hash of the member or address
    (`core.clientip.visitor_hash`): never an address or a user id."""

    query = models.ForeignKey(
        SearchQuery, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query", "visitor"], name="search_query_visitor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query_id}/{self.visitor}"


class SearchClick(models.Model):
    """How often a query led to a document: the link behind 相关搜索."""

    query = models.ForeignKey(
        SearchQuery, on_delete=models.CASCADE, related_name="clicks"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query", "document"], name="search_click_unique"
            ),
        ]
        indexes = [models.Index(fields=["document", "-count"], name="search_click_doc")]

    def __str__(self) -> str:
        return f"{self.query_id} → {self.document_id}"


class RelatedDocument(models.Model):
    """A precomputed 相关资源 entry, so the document page reads it cheaply."""

    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="+"
    )
    related = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    score = models.FloatField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "related"], name="related_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} ~ {self.related_id}"


class FoldedPage(models.Model):
    """A published document's page text folded as queries are (see ``tokenize.fold``).

    Written with the index entry, in the same transaction. Snippets match on it
    without folding at query time, and "matched on page N" for pages a reader may
    not open is one query over it, returning page numbers and never text.
    """

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (document, number) index serves lookups
    )
    number = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        db_table = "search_folded_page"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="folded_page_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.number}"
