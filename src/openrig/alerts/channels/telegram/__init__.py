"""Telegram Bot API: per-channel bot or the instance bot, and one-step linking."""
