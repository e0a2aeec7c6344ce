"""One MailMessage as an RFC 5322 email: plain text with an HTML alternative."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from application.mail.ports import MailMessage


def email_message(message: MailMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = make_msgid(domain=domain)
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email
