"""ar-http's resolver context for OpenUSD's Python:

    from pxr import Ar, Usd
    import ArHttp
    stage = Usd.Stage.Open("shot.usda", Ar.ResolverContext(ArHttp.Context("https://assets.example")))
"""
# Ar's Python bindings first: ArHttp.Context converts to and from Ar.ResolverContext through them.
from pxr import Ar, Tf
Tf.PreparePythonModule()
del Ar, Tf
