from code_to_optimize.bubble_sort_in_class import BubbleSortClass


def sort_classmethod(x):
    y = BubbleSortClass()
    return y.sorter(x)
