def mutinator(l):
    l.append(0)
    return len(l)
