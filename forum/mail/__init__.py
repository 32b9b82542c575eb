"""Mail as transport: SMTP/LMTP in, the inbound queue, routing, outbox, delivery, decoration,
DMARC and bounces. No list policy lives here."""
