package dev.herald.ingest;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The member names seen in each open object of a value being skipped, to notice a repeated
 * name. Jackson hands out canonical name strings, so a short linear scan is all most objects
 * cost; a large object switches to a hash set. One set per depth, reused from object to object.
 */
final class NameSets {

  private Names[] byDepth = new Names[8];

  /** The set for an object opened at {@code depth}, emptied. */
  Names at(int depth) {
    if (depth >= byDepth.length) {
      byDepth = Arrays.copyOf(byDepth, Math.max(depth + 1, byDepth.length * 2));
    }
    Names names = byDepth[depth];
    if (names == null) {
      names = new Names();
      byDepth[depth] = names;
    }
    names.clear();
    return names;
  }

  static final class Names {
    private static final int LINEAR = 24;
    private final String[] names = new String[LINEAR];
    private int size;
    /** One bit per name hash modulo 64: a name whose bit is clear is new, without a look. */
    private long hashBits;
    private Set<String> many;

    void clear() {
      size = 0;
      hashBits = 0;
      many = null;
    }

    /** False when the name was seen before in this object. */
    boolean add(String name) {
      if (many != null) {
        return many.add(name);
      }
      long bit = 1L << name.hashCode();
      if ((hashBits & bit) != 0) {
        for (int i = 0; i < size; i++) {
          if (names[i] == name || names[i].equals(name)) {
            return false;
          }
        }
      }
      hashBits |= bit;
      if (size == LINEAR) {
        many = new HashSet<>(Arrays.asList(names));
        return many.add(name);
      }
      names[size++] = name;
      return true;
    }
  }
}
