"""Reflowable books → PDF: EPUB, MOBI/AZW3, FB2 and Markdown, typeset by WeasyPrint.

Each reader turns its file into a `model.Book` (chapters of XHTML, the table of
contents, the cover, the resources they use); `render.py` typesets the Book in a
child process (procs.py: timeout, memory cap, own process group) whose only way to
load a resource is the book itself — no network, no local files. The book's table
of contents becomes the PDF's outline, which pdf.outline() reads back for every PDF.
"""
