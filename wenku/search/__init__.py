"""Full-text search. The rest of the site calls ``wenku.search.public`` (this package
itself stays empty: Django imports it while loading apps, before models exist)."""
