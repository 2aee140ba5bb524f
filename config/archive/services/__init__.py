"""The archive's writes: citing and archiving a page (:mod:`.capture`), watching it
(:mod:`.watch`), and proving what is stored (:mod:`.integrity`)."""
