def dep1_comparer(arr, j: int) -> bool:
    return arr[j] > arr[j + 1]
