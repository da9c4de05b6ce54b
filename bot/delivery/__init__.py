"""Delivery to Telegram: the sender of the per-chat queues (`sender`) and the sending budget that
every process's bot draws on (`limiter`)."""
