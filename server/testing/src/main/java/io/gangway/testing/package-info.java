/** Test support shared by the modules: golden files. Test scope only. */
package io.gangway.testing;
