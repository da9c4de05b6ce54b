"""Extractive summarizers: tokenizers with no downloads, fast LexRank, sumy adapters, one facade."""
