"""Thin Telegram handlers: parse, call one service, reply. The least role of each command and
button is checked where they are listed (handlers/commands.py, handlers/buttons.py)."""
