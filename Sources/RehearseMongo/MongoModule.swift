internal import CMongoC
import RehearseCore
