@_exported import RehearseKit
