@_exported import RehearseCore
@_exported import RehearseReporters
