"""Vigie: X and news watch for executives, on Telegram."""
