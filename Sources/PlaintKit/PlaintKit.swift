@_exported import PlaintEvents
@_exported import PlaintLog
