def OptimizeMe(a, b, c):
    return HelperClass().helper_method(a, b, c)


class HelperClass:
    def helper_method(self, a, b, c):
        return a + b + c
