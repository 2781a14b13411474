/** Stage 1, file flavour: route documents from local files and directories, hot-reloaded. */
@NullMarked
package io.gangway.server.source.file;

import org.jspecify.annotations.NullMarked;
