"""An email backend whose SMTP server is down until a test brings it back."""

from smtplib import SMTPException

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    down = True

    def send_messages(self, messages):
        if FlakyEmailBackend.down:
            raise SMTPException("421 service not available")
        return super().send_messages(messages)
