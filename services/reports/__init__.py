"""Documents for facilitators: the evaluation view text, the service report
(DOCX) and the pseudonymised CSV export. Plain data in, text or bytes out:
no Telegram and no SQL here."""
