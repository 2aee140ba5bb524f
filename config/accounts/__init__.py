"""Staff accounts around django-axes (lock-out) and django-otp (codes): the login record, the
email on a login from a new device, which sessions still owe a code (``services``), the pages
that take one, and API tokens."""
