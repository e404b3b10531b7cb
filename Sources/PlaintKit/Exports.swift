// The CLI sees the event format and the log through PlaintKit.
@_exported import PlaintEvents
@_exported import PlaintLog
@_exported import PlaintProjections
