"""Sample sources for the offline console: invented news feeds, X posts and trends, served on
127.0.0.1 so that the console runs the same fetch, parse and ingest code as production."""
