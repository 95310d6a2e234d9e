@_exported import RehearseCore
@_exported import RehearseReporters
@_exported import RehearseLint
