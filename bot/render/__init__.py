"""Presentation: what the bot says (i18n) and the screens it shows (menus)."""
