"""Email over SMTP (openrig.mail.sender)."""
