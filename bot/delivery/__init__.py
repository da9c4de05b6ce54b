"""Delivery to Telegram: the outbox sender (`outbox`) and the sending budget that every process's
bot draws on (`limiter`)."""
