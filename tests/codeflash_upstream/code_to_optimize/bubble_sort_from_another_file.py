from code_to_optimize.bubble_sort import sorter


def sort_from_another_file(arr):
    sorted_arr = sorter(arr)
    return sorted_arr
