"""The copier side: the ContextHook, the copy task and the update migration.

Named after the tool it serves; inside this package ``import copier`` still means the tool (imports
are absolute), and these modules only ever import their siblings relatively.
"""
