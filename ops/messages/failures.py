"""Why a mail did not leave, as a code kept on the row and words for staff in their own language.

The code is chosen from the exception here, once; pages read `words(code)`. Exception class names and
server replies are never shown (a reply may carry an address) and never stored.
"""
import smtplib

from django.utils.translation import pgettext_lazy

WORDS = {
    "connection_refused": pgettext_lazy("mail failure", "メールサーバーに接続できませんでした"),
    "timeout": pgettext_lazy("mail failure", "メールサーバーが時間内に応答しませんでした"),
    "disconnected": pgettext_lazy("mail failure", "メールサーバーとの接続が途中で切れました"),
    "network": pgettext_lazy("mail failure", "メールサーバーに届きませんでした（ネットワークまたはサーバー名の設定を確認してください）"),
    "auth": pgettext_lazy("mail failure", "メールサーバーの認証に失敗しました（送信の設定を確認してください）"),
    "recipients_refused": pgettext_lazy("mail failure", "宛先のメールアドレスが受け付けられませんでした"),
    "rejected": pgettext_lazy("mail failure", "メールサーバーがこのメールを受け付けませんでした"),
    "deferred": pgettext_lazy("mail failure", "メールサーバーが一時的に受け付けませんでした"),
    "server_error": pgettext_lazy("mail failure", "メールサーバーでエラーが起きました"),
    "attachment_missing": pgettext_lazy("mail failure", "添付するファイルが見つかりませんでした"),
    "no_recipients": pgettext_lazy("mail failure", "送信先のメールアドレスが登録されていません"),
    "not_queued": pgettext_lazy("mail failure", "送信処理を開始できませんでした（しばらくして自動で再開します）"),
    "answer_lost": pgettext_lazy("mail failure", "本文を送った後、メールサーバーの応答が途絶えました。届いたかどうか分かりません（自動では再送しません）"),
    "worker_lost": pgettext_lazy("mail failure", "本文の送信中に送信処理が止まりました。届いたかどうか分かりません（自動では再送しません）"),
    "unknown": pgettext_lazy("mail failure", "送信できませんでした"),
}


def code_for(exc: BaseException) -> str:
    """The failure code of an exception raised while sending (most specific first)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        # Every address refused for now (greylisting, a full queue): a retry may mend it.
        return "deferred" if codes and all(400 <= code < 500 for code in codes) else "recipients_refused"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "auth"
    if isinstance(exc, (ConnectionRefusedError, smtplib.SMTPConnectError)):
        return "connection_refused"
    if isinstance(exc, TimeoutError) or (isinstance(exc, smtplib.SMTPServerDisconnected)
                                         and isinstance(exc.__context__, TimeoutError)):
        return "timeout"  # smtplib reports a read that timed out as a disconnection
    if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError)):
        return "disconnected"
    if isinstance(exc, smtplib.SMTPResponseException):
        if 500 <= exc.smtp_code < 600:
            return "rejected"
        return "deferred" if 400 <= exc.smtp_code < 500 else "server_error"
    if isinstance(exc, smtplib.SMTPException):
        return "server_error"
    if isinstance(exc, FileNotFoundError):
        return "attachment_missing"
    if isinstance(exc, OSError):
        return "network"
    return "unknown"


# Failures a retry cannot mend: the server said no to the addresses or to the message itself.
PERMANENT = frozenset({"recipients_refused", "rejected", "no_recipients"})


def is_permanent(exc: BaseException) -> bool:
    return code_for(exc) in PERMANENT


def words(code: str) -> str:
    """The failure as a sentence in the active language; an unknown or old free-text value reads generically."""
    return str(WORDS.get(code, WORDS["unknown"]))
