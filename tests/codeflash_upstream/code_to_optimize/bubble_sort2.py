def sorter(arr):
    arr.sort()
    return arr