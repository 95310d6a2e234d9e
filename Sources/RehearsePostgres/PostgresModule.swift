internal import CLibPQ
internal import CPgQuery
import RehearseCore
