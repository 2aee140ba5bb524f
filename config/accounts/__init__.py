"""Staff accounts: logins recorded, a second factor, and the pages that take it.

Password checks and lock-out are django-axes' (``AUTHENTICATION_BACKENDS``), the one-time codes
django-otp's (TOTP devices); this app adds what the desk needs around them: the audit record of
every login, logout and failure (:class:`~config.accounts.models.LoginEvent`), the email on a
login from a new device or address, the rule for which sessions still owe a code
(:func:`~config.accounts.services.second_factor_step`, applied by
:class:`~config.accounts.middleware.SecondFactorMiddleware`) and the pages that take one.
"""
