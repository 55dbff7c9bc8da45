package dev.herald.launcher.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a config is read, so that all of them are reported at once. */
final class Problems {

  private final List<ConfigProblem> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(new ConfigProblem(path, message));
  }

  List<ConfigProblem> list() {
    return List.copyOf(list);
  }
}
