"""The one outbox every email leaves by: a row written in the caller's transaction, sent later by the worker."""
