"""Thin Telegram handlers: parse, check the role, call one service, reply."""
